package org.orleans4j.spring.placement;

import java.util.LinkedHashMap;
import java.util.Map;
import org.orleans4j.placement.PlacementDirector;
import org.orleans4j.placement.PlacementStrategy;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;

/**
 * Finds the {@link PlacementDirector} beans of the application and the strategy type each serves,
 * read from its generic type ({@code PlacementDirector<MyStrategy>}) on the bean class or the
 * {@code @Bean} method's return type.
 */
public final class PlacementDirectorBeans {

    private PlacementDirectorBeans() {}

    public static Map<Class<? extends PlacementStrategy>, PlacementDirector<?>> find(
            ConfigurableListableBeanFactory beanFactory) {
        Map<Class<? extends PlacementStrategy>, PlacementDirector<?>> directors = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanNamesForType(PlacementDirector.class)) {
            ResolvableType type = beanFactory.containsBeanDefinition(name)
                    ? beanFactory.getMergedBeanDefinition(name).getResolvableType()
                    : ResolvableType.NONE;
            Class<?> strategy = type.as(PlacementDirector.class).resolveGeneric(0);
            PlacementDirector<?> director = beanFactory.getBean(name, PlacementDirector.class);
            if (strategy == null || strategy == PlacementStrategy.class) {
                strategy = ResolvableType.forClass(director.getClass())
                        .as(PlacementDirector.class)
                        .resolveGeneric(0);
            }
            if (strategy == null || !PlacementStrategy.class.isAssignableFrom(strategy)) {
                throw new IllegalStateException(
                        "Cannot tell which placement strategy the PlacementDirector bean '" + name
                                + "' serves: declare it as a class implementing PlacementDirector<YourStrategy>, or give its "
                                + "@Bean method the return type PlacementDirector<YourStrategy>");
            }
            @SuppressWarnings("unchecked")
            Class<? extends PlacementStrategy> strategyType = (Class<? extends PlacementStrategy>) strategy;
            PlacementDirector<?> previous = directors.put(strategyType, director);
            if (previous != null) {
                throw new IllegalStateException(
                        "Two PlacementDirector beans serve " + strategyType.getName() + "; keep one");
            }
        }
        return directors;
    }
}
