package org.orleans4j.spring.grain;

import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.orleans4j.grain.Grain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.GenericBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Makes every grain implementation class a prototype bean: classes implementing a grain interface
 * in the application's packages (those of {@code @SpringBootApplication}) are registered, and grain
 * beans defined elsewhere (component scan, {@code @Bean}) are switched to prototype scope, since
 * each activation needs its own instance.
 */
public class GrainBeanRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {

    private static final Logger log = LoggerFactory.getLogger(GrainBeanRegistrar.class);

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
        Set<String> known = new HashSet<>();
        for (String name : registry.getBeanDefinitionNames()) {
            BeanDefinition definition = registry.getBeanDefinition(name);
            Class<?> type = scanner.classOf(definition);
            if (type != null && isGrainClass(type)) {
                known.add(type.getName());
                if (!ConfigurableBeanFactory.SCOPE_PROTOTYPE.equals(definition.getScope())) {
                    log.debug(
                            "Grain bean '{}' switched to prototype scope: each activation needs its own instance",
                            name);
                    definition.setScope(ConfigurableBeanFactory.SCOPE_PROTOTYPE);
                }
            }
        }
        for (BeanDefinition candidate : scanner.findInApplicationPackages(registry, false)) {
            String className = candidate.getBeanClassName();
            if (className == null || !known.add(className)) {
                continue;
            }
            GenericBeanDefinition definition = new GenericBeanDefinition(candidate);
            definition.setScope(ConfigurableBeanFactory.SCOPE_PROTOTYPE);
            registry.registerBeanDefinition(className, definition);
            log.debug("Registered grain class {} as a prototype bean", className);
        }
    }

    static boolean isGrainClass(Class<?> type) {
        return Grain.class.isAssignableFrom(type) && !type.isInterface() && !Modifier.isAbstract(type.getModifiers());
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        // All work happens on the registry.
    }
}
