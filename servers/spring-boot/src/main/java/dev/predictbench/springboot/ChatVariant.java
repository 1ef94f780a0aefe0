package dev.predictbench.springboot;

import dev.predictbench.model.chat.ChatSettings;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * The server's threading-model variant, chosen at start-up by {@code PREDICTBENCH_VARIANT}
 * ({@code predictbench.variant} as a system or Spring property): {@code platform}, Tomcat's pool of
 * platform threads (what Boot ships), or {@code virtual}, {@code spring.threads.virtual.enabled=true}
 * (Tomcat runs each request on a new virtual thread). It applies to every route. Without the
 * setting, {@code spring.threads.virtual.enabled} set Boot's way decides, so that property and the
 * reported variant never disagree. Registered in {@code META-INF/spring.factories}, so it runs for
 * {@code main} and for tests alike, after {@code application.properties} is read.
 */
public class ChatVariant implements EnvironmentPostProcessor {
    static final String PLATFORM = "platform";
    static final String VIRTUAL = "virtual";
    static final List<String> KNOWN = List.of(PLATFORM, VIRTUAL);
    /** Where the chosen variant is left in the environment, for /info. */
    static final String PROPERTY = "predictbench.variant";
    private static final String VIRTUAL_THREADS = "spring.threads.virtual.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String fallback = environment.getProperty(VIRTUAL_THREADS, Boolean.class, false) ? VIRTUAL : PLATFORM;
        String variant = environment.getProperty(PROPERTY, ChatSettings.variant(fallback));
        if (!KNOWN.contains(variant)) {
            throw new IllegalStateException("PREDICTBENCH_VARIANT '" + variant
                    + "' is not a variant of the spring-boot stack; the known ones are " + String.join(", ", KNOWN));
        }
        // First, so the variant wins over spring.threads.virtual.enabled from any other source.
        environment.getPropertySources().addFirst(new MapPropertySource("predictbenchVariant",
                Map.of(PROPERTY, variant, VIRTUAL_THREADS, String.valueOf(VIRTUAL.equals(variant)))));
    }

    /** The variant this server runs. */
    static String of(Environment environment) {
        return environment.getProperty(PROPERTY, PLATFORM);
    }
}
