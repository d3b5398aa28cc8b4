/** Wire serialization of grain call arguments and results (Kryo), with length guards and read budgets. */
@NullMarked
package org.orleans4j.serialization;

import org.jspecify.annotations.NullMarked;
