package org.orleans4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipRow;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.membership.MembershipTableData;
import org.orleans4j.membership.SuspectVote;
import org.orleans4j.membership.TableVersion;

/**
 * A membership table in a text file, shared by silo processes on one machine: every operation takes
 * an exclusive file lock (and a lock within this JVM, since file locks are per process), reads the
 * whole table, and writes it back when it changed it. orleans-core has no database, and its
 * multi-process tests need a table that several JVMs see. Simple and slow; for tests only.
 */
public final class FileMembershipTable implements MembershipTable {

    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final String NULL = "~";

    private final Path file;
    private final ReentrantLock jvmLock;

    /** The table as read from the file; changed in place by writes. */
    private static final class Table {
        long version;
        long etagCounter;
        final Map<SiloAddress, MembershipRow> rows = new LinkedHashMap<>();

        MembershipTableData data(List<MembershipRow> selected) {
            return new MembershipTableData(selected, new TableVersion(version, Long.toString(version)));
        }

        String newEtag() {
            return Long.toString(++etagCounter);
        }
    }

    public FileMembershipTable(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.jvmLock = JVM_LOCKS.computeIfAbsent(this.file, k -> new ReentrantLock());
    }

    @Override
    public CompletableFuture<MembershipTableData> readAll() {
        return locked(false, table -> table.data(new ArrayList<>(table.rows.values())));
    }

    @Override
    public CompletableFuture<MembershipTableData> readRow(SiloAddress silo) {
        return locked(false, table -> {
            MembershipRow row = table.rows.get(silo);
            return table.data(row == null ? List.of() : List.of(row));
        });
    }

    @Override
    public CompletableFuture<Boolean> insertRow(MembershipEntry entry, TableVersion next) {
        return locked(true, table -> {
            if (table.rows.containsKey(entry.silo()) || next.version() != table.version + 1) {
                return false;
            }
            table.rows.put(entry.silo(), new MembershipRow(entry, table.newEtag()));
            table.version = next.version();
            return true;
        });
    }

    @Override
    public CompletableFuture<Boolean> updateRow(MembershipEntry entry, String etag, TableVersion next) {
        return locked(true, table -> {
            MembershipRow current = table.rows.get(entry.silo());
            if (current == null || !current.etag().equals(etag) || next.version() != table.version + 1) {
                return false;
            }
            table.rows.put(entry.silo(), new MembershipRow(entry, table.newEtag()));
            table.version = next.version();
            return true;
        });
    }

    @Override
    public CompletableFuture<Void> updateIAmAlive(MembershipEntry entry) {
        return locked(true, table -> {
            MembershipRow current = table.rows.get(entry.silo());
            if (current != null) {
                table.rows.put(
                        entry.silo(),
                        new MembershipRow(current.entry().withIAmAliveTime(entry.iAmAliveTime()), current.etag()));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> cleanupDefunctSiloEntries(Instant cutoff) {
        return locked(true, table -> {
            table.rows
                    .values()
                    .removeIf(r -> r.entry().status() == SiloStatus.DEAD
                            && r.entry().iAmAliveTime() != null
                            && r.entry().iAmAliveTime().isBefore(cutoff));
            return null;
        });
    }

    private <T> CompletableFuture<T> locked(boolean write, Function<Table, T> operation) {
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            Table table = parse(read(channel));
            T result = operation.apply(table);
            if (write) {
                byte[] bytes = format(table).getBytes(StandardCharsets.UTF_8);
                channel.truncate(0);
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, buffer.position());
                }
            }
            return CompletableFuture.completedFuture(result);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException("membership table file " + file, e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            jvmLock.unlock();
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // read it all
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    // Format: "version <v> <etagCounter>", then one tab-separated line per row, text fields URL-encoded.

    private static String format(Table table) {
        StringBuilder out = new StringBuilder("version ")
                .append(table.version)
                .append(' ')
                .append(table.etagCounter)
                .append('\n');
        for (MembershipRow row : table.rows.values()) {
            MembershipEntry e = row.entry();
            List<String> votes = new ArrayList<>();
            for (SuspectVote vote : e.suspectVotes()) {
                votes.add(encode(vote.voter().toString()) + "|" + vote.time().toEpochMilli());
            }
            out.append(String.join(
                            "\t",
                            encode(row.etag()),
                            encode(e.silo().toString()),
                            e.status().name(),
                            encode(e.siloName()),
                            encode(e.hostName()),
                            Integer.toString(e.gatewayPort()),
                            encode(e.roleName()),
                            millis(e.startTime()),
                            millis(e.iAmAliveTime()),
                            encode(String.join(";", votes)),
                            encode(e.manifest() == null ? null : e.manifest().appVersion()),
                            encode(e.manifest() == null ? null : e.manifest().toText())))
                    .append('\n');
        }
        return out.toString();
    }

    private static Table parse(String text) {
        Table table = new Table();
        String[] lines = text.split("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return table;
        }
        String[] header = lines[0].split(" ");
        table.version = Long.parseLong(header[1]);
        table.etagCounter = Long.parseLong(header[2]);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split("\t", -1);
            List<SuspectVote> votes = new ArrayList<>();
            String voteText = decode(f[9]);
            if (voteText != null && !voteText.isEmpty()) {
                for (String vote : voteText.split(";")) {
                    String[] parts = vote.split("\\|");
                    votes.add(new SuspectVote(
                            SiloAddress.parse(decode(parts[0])), Instant.ofEpochMilli(Long.parseLong(parts[1]))));
                }
            }
            MembershipEntry entry = new MembershipEntry(
                    SiloAddress.parse(decode(f[1])),
                    SiloStatus.valueOf(f[2]),
                    decode(f[3]),
                    decode(f[4]),
                    Integer.parseInt(f[5]),
                    decode(f[6]),
                    instant(f[7]),
                    instant(f[8]),
                    votes,
                    f.length > 11 && decode(f[11]) != null
                            ? SiloManifest.fromText(decode(f[10]), decode(f[11]))
                            : null);
            table.rows.put(entry.silo(), new MembershipRow(entry, decode(f[0])));
        }
        return table;
    }

    private static String encode(String text) {
        return text == null ? NULL : URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return NULL.equals(text) ? null : URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String millis(Instant time) {
        return time == null ? NULL : Long.toString(time.toEpochMilli());
    }

    private static Instant instant(String text) {
        return NULL.equals(text) ? null : Instant.ofEpochMilli(Long.parseLong(text));
    }
}
