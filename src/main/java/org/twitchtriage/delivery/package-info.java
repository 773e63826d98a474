/** EHR write-back: the transactional outbox, its dispatcher, delivery status and re-drive. */
package org.twitchtriage.delivery;
