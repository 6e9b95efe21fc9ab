/**
 * Network definitions (DJL blocks) and model directories.
 *
 * <p>See {@code DESIGN.md} section 1 for what belongs here; engines are started through {@link dev.microforge.models.Engines}, layers live in {@code layers}.
 */
package dev.microforge.models;
