/** Cluster membership: the membership table, probing of silos, suspicion and votes, and the membership snapshot. */
@NullMarked
package org.orleans4j.membership;

import org.jspecify.annotations.NullMarked;
