/**
 * The CNN property surrogate (issue 7): DL4J/ND4J networks that map a labelled electrode volume to its property
 * vector with an ensemble spread. {@link dev.microforge.models.surrogate.Surrogate} is the public entry point
 * (no ND4J type in its prediction API); training lives in {@code dev.microforge.training.surrogate}.
 */
package dev.microforge.models.surrogate;
