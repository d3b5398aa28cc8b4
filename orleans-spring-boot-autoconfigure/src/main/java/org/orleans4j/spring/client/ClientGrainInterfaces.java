package org.orleans4j.spring.client;

import java.util.List;

/**
 * The grain interfaces that a cluster client registers: those in the application's packages and
 * those implemented by grain classes the application contains (which a client does not host).
 *
 * @param interfaces grain interfaces, in a stable order
 */
public record ClientGrainInterfaces(List<Class<?>> interfaces) {

    public ClientGrainInterfaces {
        interfaces = List.copyOf(interfaces);
    }
}
