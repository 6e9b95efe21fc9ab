/**
 * Network definitions (DJL blocks) and model directories.
 *
 * <p>See {@code DESIGN.md} section 1 for what belongs here; this module has no code yet.
 */
package dev.microforge.models;
