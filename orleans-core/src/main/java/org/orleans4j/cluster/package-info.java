/** Cluster identity: silo addresses, silo statuses, grain addresses and cluster options. */
@NullMarked
package org.orleans4j.cluster;

import org.jspecify.annotations.NullMarked;
