import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts mongo-java-server with its H2 backend on one data file.
 *
 * Why a subclass of the backend, four reasons:
 *
 * 1. Durability. H2's MVStore commits on a background timer (about once a second), so a
 *    SIGKILL of this process lost the last second of acknowledged writes. Committing after
 *    every command that left unsaved changes makes an acknowledged write survive a killed
 *    server (the data reaches the OS before the reply is sent; an OS crash can still lose
 *    what the OS has not flushed).
 *
 * 2. Index lookups. The backend keeps each unique index (the _id index too) in an MVMap keyed
 *    by KeyValue, which is not Comparable: H2 compared two keys by Java-serializing both, on
 *    every step of every B-tree search. Profiled under the pipeline benchmark, that was the
 *    largest single cost of the store. Index maps here compare keys by their values
 *    (KeyOrder); a data file written in the old order is rebuilt once at start
 *    (migrateIndexOrder).
 *
 * 3. Documents. H2 stored each document with Java serialization, rewritten whole whenever
 *    its page is saved (after every command, see 1). Data maps here write documents as BSON
 *    (BsonDocumentType), several times cheaper; documents already in the file in the old
 *    form are still read, and are rewritten as BSON as their pages change.
 *
 * 4. Size bookkeeping. The backend BSON-encoded every written document only to keep a running
 *    data size (UntrackedSizeCollection).
 *
 * 5. Keys. H2 wrote every key it does not know (the index keys, ObjectId ids, the Missing of
 *    an absent field) with Java serialization, a new ObjectOutputStream per key, for every key
 *    of every page a commit saves. Under the pipeline benchmark that was 40 % of all the
 *    store allocated, and its collector's pauses were what capped throughput. Keys here are
 *    written compactly (CompactKeyType); keys already in the file are still read.
 *
 * Usage: java -cp lib/*:classes Launcher HOST PORT DATA_FILE [CACHE_MB]
 * Prints "READY host:port" on stdout when it accepts connections.
 */
public final class Launcher {
    /** Written into the file once its index maps are in KeyOrder. */
    static final String FORMAT_MAP = "otklik.format";
    static final String INDEX_ORDER_KEY = "indexKeyOrder";
    static final String INDEX_ORDER = "values-1";
    static final String INDEX_MAP_MARK = "._index_";

    /**
     * Keys and index positions without Java serialization: KeyValue, ObjectId and Missing
     * behind tags H2's own ObjectDataType never writes, their parts written by this type
     * again (strings and numbers as H2 writes them); anything else, and keys already in the
     * file, as before. Only how a key is stored changes, never how keys compare, so a map's
     * order is the same whichever way its keys were written.
     */
    static class CompactKeyType extends ObjectDataType {
        static final byte TAG_KEY_VALUE = 21;
        static final byte TAG_OBJECT_ID = 22;
        static final byte TAG_MISSING = 23;

        @Override
        public void write(WriteBuffer buff, Object obj) {
            if (obj instanceof KeyValue) {
                KeyValue key = (KeyValue) obj;
                buff.put(TAG_KEY_VALUE).putVarInt(key.size());
                for (Object part : key) {
                    write(buff, part);
                }
            } else if (obj instanceof ObjectId) {
                buff.put(TAG_OBJECT_ID).put(((ObjectId) obj).toByteArray());
            } else if (obj instanceof Missing) {
                buff.put(TAG_MISSING);
            } else {
                super.write(buff, obj);
            }
        }

        @Override
        public Object read(ByteBuffer buff) {
            switch (buff.get(buff.position())) {
                case TAG_KEY_VALUE: {
                    buff.get();
                    int size = org.h2.mvstore.DataUtils.readVarInt(buff);
                    Object[] parts = new Object[size];
                    for (int i = 0; i < size; i++) {
                        parts[i] = read(buff);
                    }
                    return new KeyValue(parts);
                }
                case TAG_OBJECT_ID: {
                    buff.get();
                    byte[] bytes = new byte[12];
                    buff.get(bytes);
                    return new ObjectId(bytes);
                }
                case TAG_MISSING:
                    buff.get();
                    return Missing.getInstance();
                default:
                    return super.read(buff);
            }
        }

        @Override
        public int getMemory(Object obj) {
            if (obj instanceof KeyValue) {
                int memory = 32;
                for (Object part : (KeyValue) obj) {
                    memory += 8 + getMemory(part);
                }
                return memory;
            }
            if (obj instanceof ObjectId) {
                return 48;
            }
            if (obj instanceof Missing) {
                return 8;
            }
            return super.getMemory(obj);
        }
    }

    /**
     * Index keys ordered by their values: per element null < numbers < strings < anything
     * else; numbers by value, then by class, then exactly; strings by UTF-16 order; other
     * Comparable values (dates, ObjectIds, UUIDs, booleans) by their own order; what is left
     * (sub-documents, lists, binary) by its serialized form as before. Two keys are equal
     * exactly when they were equal before (same classes, equal values), which is what makes
     * a unique index unique.
     */
    static final class KeyOrder extends CompactKeyType {
        @Override
        public int compare(Object a, Object b) {
            if (a == b) {
                return 0;
            }
            if (!(a instanceof KeyValue) || !(b instanceof KeyValue)) {
                return super.compare(a, b);
            }
            KeyValue x = (KeyValue) a;
            KeyValue y = (KeyValue) b;
            int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++) {
                int c = compareValues(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }

        private static int rank(Object v) {
            if (v == null || v instanceof Missing) {
                return 0;
            }
            if (v instanceof Double || v instanceof Long || v instanceof Integer) {
                return 1;
            }
            if (v instanceof String) {
                return 2;
            }
            return 3;
        }

        private static int numberClass(Object v) {
            return v instanceof Integer ? 0 : v instanceof Long ? 1 : 2;
        }

        @SuppressWarnings("unchecked")
        static int compareValues(Object a, Object b) {
            int ra = rank(a);
            int rb = rank(b);
            if (ra != rb) {
                return Integer.compare(ra, rb);
            }
            switch (ra) {
                case 0:
                    // null and Missing stay apart, as their serialized forms did.
                    return Boolean.compare(a instanceof Missing, b instanceof Missing);
                case 1: {
                    int c = Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
                    if (c != 0) {
                        return c;
                    }
                    c = Integer.compare(numberClass(a), numberClass(b));
                    if (c != 0 || a instanceof Double) {
                        return c;
                    }
                    return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
                }
                case 2:
                    return ((String) a).compareTo((String) b);
                default: {
                    if (a.getClass() != b.getClass()) {
                        return a.getClass().getName().compareTo(b.getClass().getName());
                    }
                    if (a instanceof Comparable && !(a instanceof Map) && !(a instanceof List)) {
                        return ((Comparable<Object>) a).compareTo(b);
                    }
                    return compareNotNull(serialize(a), serialize(b));
                }
            }
        }
    }

    /**
     * Documents as BSON behind a tag H2's own ObjectDataType never writes; anything else (the
     * collections' sizes, documents BSON cannot hold) as before, and old pages read as before.
     */
    static final class BsonDocumentType extends ObjectDataType {
        static final byte TAG_BSON_DOCUMENT = 20;
        /**
         * What a decoded document takes on the heap per byte of its BSON (maps of boxed
         * values and strings), for H2's page cache accounting: at twice the BSON size, as H2
         * counts serialized objects, a cache of a quarter of the heap held most of the heap
         * and the store spent the load in full collections (GC log: 700 ms pauses back to back).
         */
        static final long HEAP_BYTES_PER_BSON_BYTE = 6;
        private int averageSize = 1024;

        @Override
        public void write(WriteBuffer buff, Object obj) {
            if (obj instanceof Document) {
                ByteBuf bson = Unpooled.buffer(averageSize / 2 + 64);
                try {
                    BsonEncoder.encodeDocument((Document) obj, bson);
                } catch (IllegalArgumentException | ClassCastException notBson) {
                    bson.release();
                    super.write(buff, obj);
                    return;
                }
                int length = bson.readableBytes();
                averageSize = (int) ((length * HEAP_BYTES_PER_BSON_BYTE + 15L * averageSize) / 16);
                buff.put(TAG_BSON_DOCUMENT).putVarInt(length);
                buff.put(bson.nioBuffer());
                bson.release();
                return;
            }
            super.write(buff, obj);
        }

        @Override
        public Object read(ByteBuffer buff) {
            if (buff.get(buff.position()) != TAG_BSON_DOCUMENT) {
                return super.read(buff);
            }
            buff.get();
            int length = org.h2.mvstore.DataUtils.readVarInt(buff);
            ByteBuf bson = Unpooled.wrappedBuffer(buff.slice().limit(length));
            buff.position(buff.position() + length);
            return BsonDecoder.decodeBson(bson);
        }

        @Override
        public int getMemory(Object obj) {
            return obj instanceof Document ? averageSize : super.getMemory(obj);
        }
    }

    static MVMap.Builder<Object, Object> indexMap() {
        return new MVMap.Builder<Object, Object>().keyType(new KeyOrder()).valueType(new CompactKeyType());
    }

    /** The backend's unique index over an index map in KeyOrder (H2UniqueIndex is package-private). */
    static final class OrderedUniqueIndex extends AbstractUniqueIndex<Object> {
        private final MVMap<KeyValue, Object> mvMap;

        OrderedUniqueIndex(MVMap<KeyValue, Object> mvMap, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.mvMap = mvMap;
        }

        @Override
        protected Object removeDocument(KeyValue keyValue) {
            return mvMap.remove(keyValue);
        }

        @Override
        protected boolean putKeyPosition(KeyValue keyValue, Object position) {
            return mvMap.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
            return mvMap.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue keyValue) {
            return mvMap.get(keyValue);
        }

        @Override
        public long getCount() {
            return mvMap.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return mvMap.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }
    }

    /**
     * The one store of this process. A static because H2Database's constructor opens the
     * collections (calling the overrides below) before a subclass could keep a field.
     */
    static MVStore mvStore;

    /** Commands that take longer are written to the log (-Dotklik.slowCommandMs, 0 logs all). */
    static final long SLOW_COMMAND_MS = Long.getLong("otklik.slowCommandMs", 500);

    static final class OtklikDatabase extends H2Database {
        OtklikDatabase(String databaseName, CursorRegistry cursorRegistry) {
            super(databaseName, mvStore, cursorRegistry);
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            MVMap map = mvStore.openMap(getDatabaseName() + "." + collectionName + INDEX_MAP_MARK + indexName, indexMap());
            return new OrderedUniqueIndex((MVMap<KeyValue, Object>) map, indexName, keys, sparse);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String fullName = getDatabaseName() + "." + collectionName;
            MVMap<Object, Document> dataMap = mvStore.openMap("databases." + fullName, new MVMap.Builder<Object, Document>().keyType(new CompactKeyType()).valueType(new BsonDocumentType()));
            MVMap<String, Object> metaMap = mvStore.openMap("meta." + fullName);
            return new UntrackedSizeCollection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
        }
    }

    /**
     * A collection that does not keep its data size as it goes: the backend encoded every
     * inserted, deleted and updated document (the updated one twice) as BSON only to add up
     * its size, and wrote the sum into the meta map with every command. The size is counted
     * when asked for (collStats), which nothing on a hot path does.
     */
    static final class UntrackedSizeCollection extends H2Collection {
        private final MVMap<Object, Document> data;

        UntrackedSizeCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data, MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, data, meta, cursors);
            this.data = data;
        }

        @Override
        protected boolean tracksDataSize() {
            return false;
        }

        @Override
        protected int getDataSize() {
            // H2Collection's constructor asks (for a debug line) before this.data is set.
            if (data == null) {
                return 0;
            }
            long total = 0;
            for (Document document : data.values()) {
                ByteBuf bson = Unpooled.buffer(256);
                BsonEncoder.encodeDocument(document, bson);
                total += bson.readableBytes();
                bson.release();
            }
            return (int) Math.min(Integer.MAX_VALUE, total);
        }
    }

    /**
     * Group commit. Each command that left changes is answered only after a commit that began
     * after it finished, so an acknowledged write survives a killed server (1 above). A
     * commit rewrites the changed pages and the store's own layout pages, a cost per commit
     * more than per change: in a flight recording under bench/pipeline, committing after
     * every command was half of the store's CPU. So a command that finishes while others are
     * still running waits for them (at most MAX_WAIT_NANOS), and the last one commits for
     * all; alone, a command commits at once, as before.
     */
    static final class GroupCommit {
        static final long MAX_WAIT_NANOS = 1_000_000;
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private final java.util.concurrent.locks.Condition changed = lock.newCondition();
        private int running;
        private long finished;
        private long committed;
        private boolean committing;

        void begin() {
            lock.lock();
            try {
                running++;
            } finally {
                lock.unlock();
            }
        }

        void finish(MVStore store, boolean mayHaveChanged) {
            lock.lock();
            try {
                running--;
                long ticket = ++finished;
                changed.signalAll();
                // Not on hasUnsavedChanges alone: a commit under way (ours or H2's background
                // one) may have taken this command's changes and not yet written them;
                // store.commit() waits for it.
                if (!mayHaveChanged) {
                    return;
                }
                long deadline = System.nanoTime() + MAX_WAIT_NANOS;
                while (committed < ticket) {
                    long left = deadline - System.nanoTime();
                    if (!committing && (running == 0 || left <= 0)) {
                        committing = true;
                        long upTo = finished;
                        lock.unlock();
                        boolean done = false;
                        try {
                            if (!store.isClosed()) {
                                store.commit();
                            }
                            done = true;
                        } finally {
                            // A failed commit acknowledges nothing: its error goes to this
                            // command, and a waiting one tries again.
                            lock.lock();
                            committing = false;
                            if (done && upTo > committed) {
                                committed = upTo;
                            }
                            changed.signalAll();
                        }
                    } else if (committing || left <= 0) {
                        changed.awaitUninterruptibly();
                    } else {
                        try {
                            changed.awaitNanos(left);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    static final GroupCommit commits = new GroupCommit();

    /** Commands that change nothing: answered without waiting for a commit. */
    static final java.util.Set<String> READ_ONLY_COMMANDS = java.util.Set.of(
        "find", "getmore", "count", "distinct", "aggregate", "listcollections", "listindexes", "listdatabases",
        "ping", "hello", "ismaster", "buildinfo", "killcursors", "endsessions", "dbstats", "collstats",
        "serverstatus", "whatsmyuri", "getparameter", "getlog", "hostinfo", "connectionstatus", "getcmdlineopts");

    static final class DurableH2Backend extends H2Backend {
        DurableH2Backend(MVStore store) {
            super(store);
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            return new OtklikDatabase(databaseName, getCursorRegistry());
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            long started = System.nanoTime();
            commits.begin();
            boolean ran = false;
            try {
                Document reply = super.handleCommand(channel, database, command, query);
                ran = true;
                return reply;
            } finally {
                MVStore store = getMvStore();
                commits.finish(store, !ran || !READ_ONLY_COMMANDS.contains(command.toLowerCase(java.util.Locale.ROOT)));
                logIfSlow(database, command, query, (System.nanoTime() - started) / 1_000_000);
            }
        }

        /**
         * Like MongoDB's slow-query log: the embedded store answers nearly everything in a few
         * milliseconds, so a command that holds a connection for longer names what to look at
         * (a scan on a field without a unique key, a huge result) in store.log.
         */
        private static void logIfSlow(String database, String command, Document query, long elapsedMs) {
            if (elapsedMs < SLOW_COMMAND_MS) {
                return;
            }
            Object target = query.get(command);
            Object filter = query.containsKey("filter") ? query.get("filter") : query.get("query");
            String shape = filter instanceof Document ? ((Document) filter).keySet().toString() : "";
            System.out.println(java.time.Instant.now() + " SLOW " + elapsedMs + " ms " + database + "." + target + " " + command + " " + shape);
        }
    }

    /**
     * Rebuilds every index map of a file written before KeyOrder, one map at a time: into a
     * new map, committed, then swapped in by name in one commit. Auto-commit is off, so a
     * crash leaves either the old map or the new one, never half of one; the mark is written
     * last, and a run cut short is redone from the start.
     */
    static void migrateIndexOrder(File dataFile) {
        MVStore store = new MVStore.Builder().fileName(dataFile.getPath()).autoCommitDisabled().open();
        try {
            MVMap<String, String> format = store.openMap(FORMAT_MAP);
            if (INDEX_ORDER.equals(format.get(INDEX_ORDER_KEY))) {
                return;
            }
            List<String> names = new ArrayList<>();
            for (String name : store.getMapNames()) {
                if (name.endsWith("#rebuilt")) {
                    store.removeMap(name);
                } else if (name.contains(INDEX_MAP_MARK)) {
                    names.add(name);
                }
            }
            store.commit();
            long entries = 0;
            for (String name : names) {
                MVMap<Object, Object> old = store.openMap(name);
                MVMap<Object, Object> rebuilt = store.openMap(name + "#rebuilt", indexMap());
                for (Map.Entry<Object, Object> e : old.entrySet()) {
                    rebuilt.put(e.getKey(), e.getValue());
                    entries++;
                }
                store.commit();
                store.removeMap(old);
                store.renameMap(rebuilt, name);
                store.commit();
            }
            format.put(INDEX_ORDER_KEY, INDEX_ORDER);
            store.commit();
            if (!names.isEmpty()) {
                System.out.println("MIGRATED " + names.size() + " index maps (" + entries + " keys) to value order");
            }
        } finally {
            store.close();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: Launcher HOST PORT DATA_FILE [CACHE_MB]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        File dataFile = new File(args[2]);
        int cacheMb = args.length == 4 ? Integer.parseInt(args[3]) : 16;
        File parent = dataFile.getAbsoluteFile().getParentFile();
        if (!parent.isDirectory() && !parent.mkdirs()) {
            System.err.println("cannot create data folder " + parent);
            System.exit(3);
        }
        migrateIndexOrder(dataFile);
        MVStore store = new MVStore.Builder().fileName(dataFile.getPath()).cacheSize(cacheMb).open();
        mvStore = store;
        DurableH2Backend backend = new DurableH2Backend(store);
        MongoServer server = new MongoServer(backend);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM: stop accepting, then close the MVStore so the file is left consistent.
            server.shutdown();
            if (!store.isClosed()) {
                store.close();
            }
            System.out.println("STOPPED");
            System.out.flush();
        }, "otklik-store-shutdown"));
        server.bind(new InetSocketAddress(host, port));
        InetSocketAddress bound = server.getLocalAddress();
        System.out.println("READY " + bound.getHostString() + ":" + bound.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
