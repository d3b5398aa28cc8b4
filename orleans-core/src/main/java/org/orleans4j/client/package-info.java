/** The cluster client, which calls grains from outside the cluster through the silos' gateways. */
@NullMarked
package org.orleans4j.client;

import org.jspecify.annotations.NullMarked;
