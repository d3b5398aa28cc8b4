package org.orleans4j.spring.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;
import org.orleans4j.spring.grain.GrainClassScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Client mode's counterpart of the silo's grain bean scanning: a client hosts no grains, so grain
 * implementation classes that a component scan registered ({@code @GrainComponent}) are removed
 * again, and the grain interfaces they implement, with every grain interface in the application's
 * packages, are collected into the {@link ClientGrainInterfaces} bean for the client.
 */
public class ClientGrainInterfaceRegistrar
        implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {

    /** Name of the {@link ClientGrainInterfaces} bean. */
    public static final String BEAN_NAME = "orleansClientGrainInterfaces";

    private static final Logger log = LoggerFactory.getLogger(ClientGrainInterfaceRegistrar.class);
    private static final Set<Class<?>> KEY_MARKERS =
            Set.of(Grain.class, GrainWithStringKey.class, GrainWithLongKey.class, GrainWithUuidKey.class);

    private Environment environment;
    private ResourceLoader resourceLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
        GrainClassScanner scanner = new GrainClassScanner(environment, resourceLoader);
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (String name : registry.getBeanDefinitionNames()) {
            Class<?> type = scanner.classOf(registry.getBeanDefinition(name));
            if (type != null && Grain.class.isAssignableFrom(type) && !type.isInterface()) {
                collectGrainInterfaces(type, interfaces);
                registry.removeBeanDefinition(name);
                log.debug("Client mode: grain class {} is not a bean here (grains run on the silos)", type.getName());
            }
        }
        for (BeanDefinition candidate : scanner.findInApplicationPackages(registry, true)) {
            Class<?> type = scanner.load(candidate.getBeanClassName());
            if (type != null) {
                collectGrainInterfaces(type, interfaces);
            }
        }
        List<Class<?>> found = new ArrayList<>(interfaces);
        registry.registerBeanDefinition(
                BEAN_NAME,
                BeanDefinitionBuilder.genericBeanDefinition(
                                ClientGrainInterfaces.class, () -> new ClientGrainInterfaces(found))
                        .getBeanDefinition());
        log.debug("Client mode: grain interfaces {}", found);
    }

    /** {@code type} itself if it is a grain interface, and the grain interfaces it extends or implements. */
    static void collectGrainInterfaces(Class<?> type, Set<Class<?>> result) {
        if (type.isInterface()) {
            if (Grain.class.isAssignableFrom(type) && !KEY_MARKERS.contains(type)) {
                result.add(type);
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> parent : c.getInterfaces()) {
                collectGrainInterfaces(parent, result);
            }
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        // All work happens on the registry.
    }
}
