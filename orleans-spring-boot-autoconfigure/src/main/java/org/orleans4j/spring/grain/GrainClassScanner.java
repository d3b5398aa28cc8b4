package org.orleans4j.spring.grain;

import java.util.ArrayList;
import java.util.List;
import org.orleans4j.grain.Grain;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds grain types in the application's packages (those of {@code @SpringBootApplication}) and
 * loads the classes of bean definitions: what a silo's grain bean registration and a client's grain
 * interface registration both start from.
 */
public final class GrainClassScanner {

    private final Environment environment;
    private final ResourceLoader resourceLoader;

    public GrainClassScanner(Environment environment, ResourceLoader resourceLoader) {
        this.environment = environment;
        this.resourceLoader = resourceLoader;
    }

    /**
     * Top-level types assignable to {@link Grain} in the application's packages: concrete classes
     * only, or interfaces and abstract classes too (a client may have no implementation at all).
     */
    public List<BeanDefinition> findInApplicationPackages(BeanDefinitionRegistry registry, boolean abstractTypesToo) {
        ClassPathScanningCandidateComponentProvider scanner =
                new ClassPathScanningCandidateComponentProvider(false, environment) {
                    @Override
                    protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                        var metadata = definition.getMetadata();
                        return metadata.isIndependent() && (abstractTypesToo || metadata.isConcrete());
                    }
                };
        scanner.setResourceLoader(resourceLoader);
        scanner.addIncludeFilter(new AssignableTypeFilter(Grain.class));
        List<BeanDefinition> found = new ArrayList<>();
        if (registry instanceof BeanFactory beanFactory && AutoConfigurationPackages.has(beanFactory)) {
            for (String basePackage : AutoConfigurationPackages.get(beanFactory)) {
                found.addAll(scanner.findCandidateComponents(basePackage));
            }
        }
        return found;
    }

    /** The class {@code definition} makes, or {@code null} when it names none that loads. */
    public Class<?> classOf(BeanDefinition definition) {
        String className = definition.getBeanClassName();
        return className == null ? definition.getResolvableType().resolve() : load(className);
    }

    /** The class of that name, or {@code null} when it does not load. */
    public Class<?> load(String className) {
        if (className == null) {
            return null;
        }
        try {
            return ClassUtils.forName(className, resourceLoader == null ? null : resourceLoader.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
