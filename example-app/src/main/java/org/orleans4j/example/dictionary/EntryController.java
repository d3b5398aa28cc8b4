package org.orleans4j.example.dictionary;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /entries/{word}} stores a definition (text/plain); {@code GET} reads it back;
 * {@code GET /entries/{word}/lookups} says how often it was read.
 */
@RestController
@RequestMapping("/entries")
public class EntryController {

    private final GrainFactory grains;

    public EntryController(GrainFactory grains) {
        this.grains = grains;
    }

    @PutMapping(path = "/{word}", consumes = MediaType.TEXT_PLAIN_VALUE)
    public CompletableFuture<ResponseEntity<Void>> put(@PathVariable String word, @RequestBody String definition) {
        return grains.getGrain(EntryGrain.class, word)
                .setDefinition(definition)
                .thenApply(done -> ResponseEntity.noContent().build());
    }

    @GetMapping(path = "/{word}", produces = MediaType.TEXT_PLAIN_VALUE)
    public CompletableFuture<ResponseEntity<String>> get(@PathVariable String word) {
        return grains.getGrain(EntryGrain.class, word)
                .getDefinition()
                .thenApply(definition ->
                        definition == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(definition));
    }

    /** {@code GET /entries/{word}/lookups}: how often the word was looked up. */
    @GetMapping(path = "/{word}/lookups", produces = MediaType.TEXT_PLAIN_VALUE)
    public CompletableFuture<String> lookups(@PathVariable String word) {
        return grains.getGrain(EntryGrain.class, word).lookups().thenApply(String::valueOf);
    }

    /** A word the runtime refuses as a grain key (longer than {@code GrainId.MAX_KEY_LENGTH}): the client's mistake. */
    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<String> badWord(IllegalArgumentException e) {
        return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(e.getMessage());
    }
}
