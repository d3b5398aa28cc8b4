package org.orleans4j.messaging.internal;

/**
 * Told when a connection starts handing over what one read from its socket brought, frame by frame, and
 * when it is done. While some connection is at it, more work is on its way within microseconds: a turn
 * scheduler whose threads ran dry may wait for it instead of parking, which spares the event loop the
 * cost of waking them again for the next call of the same read.
 */
public interface ReadActivity {

    /** No one listens. */
    ReadActivity NONE = new ReadActivity() {
        @Override
        public void readStarted() {}

        @Override
        public void readEnded() {}
    };

    /** A connection read frames and starts handing them over (on its event loop). */
    void readStarted();

    /** That connection handed over all it read (on its event loop); called once per {@link #readStarted}. */
    void readEnded();
}
