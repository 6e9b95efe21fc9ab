/**
 * Stochastic reconstruction and sampling from trained models.
 *
 * <p>See {@code DESIGN.md} section 1 for what belongs here; this module has no code yet.
 */
package dev.microforge.generator;
