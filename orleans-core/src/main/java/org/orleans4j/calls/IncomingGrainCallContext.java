package org.orleans4j.calls;

/** A call arriving at an activation, as an {@link IncomingGrainCallFilter} sees it. */
public interface IncomingGrainCallContext extends GrainCallContext {

    /** The grain instance the call runs on. */
    Object grain();
}
