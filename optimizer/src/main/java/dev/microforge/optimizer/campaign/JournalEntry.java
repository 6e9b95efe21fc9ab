package dev.microforge.optimizer.campaign;

import java.util.Map;

/**
 * One line of {@code journal.jsonl}: a finished evaluation. Values are in the order of
 * {@link CampaignConfig#specs()} (objectives, then constraints); non-finite numbers are written as the strings
 * {@code "NaN"}, {@code "Infinity"}.
 *
 * @param evaluation 0-based index; the journal holds 0, 1, 2, ... in order
 * @param batch the proposal batch (0: the initial Latin-hypercube design)
 * @param stage {@code initial} or {@code bo}
 * @param parameters design parameters by name, in their own units
 * @param unit the same point in the unit cube (what the GP sees)
 * @param design the volume's path relative to the campaign folder, null when the design failed to build
 * @param status {@code ok}, or {@code failed} when the generator or the physics refused the design
 * @param message why it failed, or null
 * @param values physics value of each spec (NaN when failed; +Infinity for a non-percolating tortuosity)
 * @param surrogateMean surrogate prediction of each spec before the physics ran, or null without screening
 * @param surrogateSd its standard deviation, or null
 * @param feasible whether it succeeded, every objective is finite and every constraint holds
 * @param predictedMean the GP's mean of the (scalarised, maximised) objective at the proposal, NaN for the
 *     initial design
 * @param predictedSd the GP's standard deviation there
 * @param acquisition the acquisition value when it was proposed (NaN for the initial design)
 * @param screened candidates the surrogate screened for this batch (0 without screening)
 * @param generateSeconds time to build the volume
 * @param physicsSeconds time of the physics evaluation
 * @param finished ISO-8601 instant the line was written
 */
public record JournalEntry(int evaluation, int batch, String stage, Map<String, Double> parameters, double[] unit,
                           String design, String status, String message, double[] values, double[] surrogateMean,
                           double[] surrogateSd, boolean feasible, double predictedMean, double predictedSd,
                           double acquisition, int screened, double generateSeconds, double physicsSeconds,
                           String finished) {
    /** Whether the evaluation succeeded. */
    public boolean ok() {
        return "ok".equals(status);
    }
}
