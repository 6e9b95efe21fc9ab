/**
 * Training data and training loop of the CNN property surrogate: {@link
 * dev.microforge.training.surrogate.DesignLabels} labels a folder of designs with the physics evaluator (cached
 * one record per design), {@link dev.microforge.training.surrogate.SurrogateTrainer} trains the ensemble.
 */
package dev.microforge.training.surrogate;
