package org.orleans4j.example.rolling;

/** A line of an order, passed as an argument; build v2 adds a field. */
public record LineItem(String sku, int quantity) {}
