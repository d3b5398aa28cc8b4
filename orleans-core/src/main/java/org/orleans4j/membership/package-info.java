/** Cluster membership: the membership table, silo probing, suspicion and the membership snapshot. */
@NullMarked
package org.orleans4j.membership;

import org.jspecify.annotations.NullMarked;
