package org.orleans4j.membership;

/** A silo row with the ETag a conditional update of it must carry. */
public record MembershipRow(MembershipEntry entry, String etag) {}
