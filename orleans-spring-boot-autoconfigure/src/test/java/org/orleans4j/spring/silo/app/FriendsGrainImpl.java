package org.orleans4j.spring.silo.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;

public class FriendsGrainImpl extends GrainBase implements FriendsGrain {

    private final PersistentState<Friends> friends =
            persistentState("friends", Friends.class, () -> new Friends(null, List.of()));

    @Override
    public CompletableFuture<Void> befriend(GreeterGrain friend) {
        Friends current = friends.state();
        List<GreeterGrain> all = new ArrayList<>(current.all());
        all.add(friend);
        friends.setState(new Friends(current.first() == null ? friend : current.first(), all));
        return friends.writeState();
    }

    @Override
    public CompletableFuture<List<String>> greetAll() {
        List<CompletableFuture<String>> greetings = new ArrayList<>();
        greetings.add(friends.state().first().greet());
        friends.state().all().forEach(friend -> greetings.add(friend.greet()));
        return CompletableFuture.allOf(greetings.toArray(CompletableFuture[]::new))
                .thenApply(
                        done -> greetings.stream().map(CompletableFuture::join).toList());
    }

    /** References as a field and in a list. */
    public record Friends(GreeterGrain first, List<GreeterGrain> all) {}
}
