package org.orleans4j.spring.grain;

import java.util.Map;
import org.orleans4j.catalog.GrainActivator;
import org.orleans4j.grain.GrainContext;
import org.orleans4j.grain.GrainException;
import org.orleans4j.metadata.GrainClassMetadata;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/** Creates each activation's grain as a prototype bean, so constructor and field injection work. */
public class SpringGrainActivator implements GrainActivator {

    private final ConfigurableListableBeanFactory beanFactory;
    private final Map<Class<?>, String> beanNames;

    public SpringGrainActivator(ConfigurableListableBeanFactory beanFactory, Map<Class<?>, String> beanNames) {
        this.beanFactory = beanFactory;
        this.beanNames = Map.copyOf(beanNames);
    }

    @Override
    public Object createInstance(GrainClassMetadata grainClass, GrainContext context) {
        String beanName = beanNames.get(grainClass.grainClass());
        if (beanName == null) {
            throw new GrainException("Grain class " + grainClass.grainClass().getName() + " is not a Spring bean");
        }
        return beanFactory.getBean(beanName);
    }

    @Override
    public void releaseInstance(GrainClassMetadata grainClass, Object grain) {
        String beanName = beanNames.get(grainClass.grainClass());
        if (beanName != null) {
            beanFactory.destroyBean(beanName, grain);
        }
    }
}
