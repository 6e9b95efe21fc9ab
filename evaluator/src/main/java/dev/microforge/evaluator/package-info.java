/**
 * Statistical descriptors and transport physics of volumes.
 *
 * <p>See {@code DESIGN.md} section 1 for what belongs here; this module has no code yet.
 */
package dev.microforge.evaluator;
