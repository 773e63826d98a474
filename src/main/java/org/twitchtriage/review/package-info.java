/** The clinician pages' side: the worklist of triage results, their details, review and approval of proposed orders. */
package org.twitchtriage.review;
