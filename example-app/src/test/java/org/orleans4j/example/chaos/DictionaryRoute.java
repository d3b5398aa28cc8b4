package org.orleans4j.example.chaos;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.example.dictionary.EntryGrain;

/** One way into the dictionary for a load stream: a silo's REST API or the cluster client. */
interface DictionaryRoute {

    /** How long one call may take before it counts as failed. */
    Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Stores {@code definition}; returns normally only once the cluster acknowledged it. */
    void put(String word, String definition) throws Exception;

    /** The definition, or {@code null} when the word has none. */
    String get(String word) throws Exception;

    /**
     * The REST API of silo {@code home}, or, while that silo is down, of the next one up: what a load
     * balancer with health checks does. Calls already sent to a silo that is then killed fail.
     */
    static DictionaryRoute rest(ChaosCluster cluster, int home, HttpClient http) {
        return new DictionaryRoute() {
            @Override
            public void put(String word, String definition) throws Exception {
                HttpResponse<String> response = send(HttpRequest.newBuilder(uri(word))
                        .header("Content-Type", "text/plain")
                        .PUT(HttpRequest.BodyPublishers.ofString(definition)));
                if (response.statusCode() != 204) {
                    throw new IllegalStateException("PUT " + word + ": HTTP " + response.statusCode());
                }
            }

            @Override
            public String get(String word) throws Exception {
                HttpResponse<String> response =
                        send(HttpRequest.newBuilder(uri(word)).GET());
                return switch (response.statusCode()) {
                    case 200 -> response.body();
                    case 404 -> null;
                    default -> throw new IllegalStateException("GET " + word + ": HTTP " + response.statusCode());
                };
            }

            private URI uri(String word) {
                return URI.create(
                        cluster.base(upSilo()) + "/entries/" + URLEncoder.encode(word, StandardCharsets.UTF_8));
            }

            private int upSilo() {
                for (int step = 0; step < cluster.size(); step++) {
                    int candidate = (home + step) % cluster.size();
                    if (cluster.isUp(candidate)) {
                        return candidate;
                    }
                }
                throw new IllegalStateException("no silo is up");
            }

            private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
                return http.send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            }

            @Override
            public String toString() {
                return "rest-" + home;
            }
        };
    }

    /** The cluster client's grain factory, through whichever gateways it has. */
    static DictionaryRoute client(ClusterClient client) {
        return new DictionaryRoute() {
            @Override
            public void put(String word, String definition) throws Exception {
                grain(word).setDefinition(definition).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public String get(String word) throws Exception {
                return grain(word).getDefinition().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }

            private EntryGrain grain(String word) {
                return client.grainFactory().getGrain(EntryGrain.class, word);
            }

            @Override
            public String toString() {
                return "client";
            }
        };
    }
}
