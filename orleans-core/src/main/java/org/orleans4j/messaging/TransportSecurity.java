package org.orleans4j.messaging;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

/**
 * How the connections of a silo (its silo and gateway ports) or of a cluster client are secured:
 * a TLS handler put first in the pipeline of every new connection, so that the Orleans handshake
 * and every frame after it travel inside TLS. Each call returns a handler built from the key
 * material current at that moment, so replaced certificates apply to new connections while
 * established ones keep theirs.
 */
public interface TransportSecurity {

    /**
     * The handler of a connection this side accepted (silo or gateway port): it presents this side's
     * certificate and requires one from the peer, signed by a trusted authority.
     */
    SslHandler newServerHandler(ByteBufAllocator allocator);

    /**
     * The handler of a connection this side opened (to another silo, or to a gateway): it presents
     * this side's certificate and requires the peer's to be signed by a trusted authority.
     */
    SslHandler newClientHandler(ByteBufAllocator allocator);

    /** Where the key material comes from, for error messages, e.g. {@code SSL bundle 'orleans' (orleans.endpoints.ssl.bundle)}. */
    String source();
}
