package org.orleans4j.example.rolling;

/** An order's stored state; build v2 adds a field. */
public class OrderState {
    public long lines;
    public long quantity;
}
