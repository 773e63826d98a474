package org.twitchtriage.delivery;

/**
 * A delivery left part of a submission's results as the EHR has them, because the EHR had moved on (an order
 * completed there, a resource changed there since the module wrote it): a clinician must look at the result.
 * Published inside the transaction that records the delivery's outcome.
 *
 * @param reason what was left and why, in words a clinician can read; no patient data
 */
public record ResultNeedsAttention(String submissionId, String reason) {}
