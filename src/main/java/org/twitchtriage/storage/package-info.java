/** What the module's stored rows have in common. */
package org.twitchtriage.storage;
