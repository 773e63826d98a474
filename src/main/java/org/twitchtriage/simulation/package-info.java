/** Rule-change simulation: responses triaged by the published rules and by candidate rules, and what changes. */
package org.twitchtriage.simulation;
