package org.orleans4j.spring.grain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a grain implementation class as a Spring bean: prototype-scoped, one instance per
 * activation, with dependency injection. Grain classes in the application's packages are found
 * even without it; use it to name the bean or when the class sits outside those packages but
 * inside a component scan.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface GrainComponent {

    @AliasFor(annotation = Component.class)
    String value() default "";
}
