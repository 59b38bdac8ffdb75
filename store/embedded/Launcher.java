import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.io.File;
import java.net.InetSocketAddress;

/**
 * Starts mongo-java-server with its H2 backend on one data file.
 *
 * Why a subclass: H2's MVStore commits on a background timer (about once a second), so a
 * SIGKILL of this process lost the last second of acknowledged writes. Committing after
 * every command that left unsaved changes makes an acknowledged write survive a killed
 * server (the data reaches the OS before the reply is sent; an OS crash can still lose
 * what the OS has not flushed).
 *
 * Usage: java -cp lib/*:classes Launcher HOST PORT DATA_FILE
 * Prints "READY host:port" on stdout when it accepts connections.
 */
public final class Launcher {
    static final class DurableH2Backend extends H2Backend {
        DurableH2Backend(MVStore store) {
            super(store);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                MVStore store = getMvStore();
                if (!store.isClosed() && store.hasUnsavedChanges()) {
                    store.commit();
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Launcher HOST PORT DATA_FILE");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        File dataFile = new File(args[2]);
        File parent = dataFile.getAbsoluteFile().getParentFile();
        if (!parent.isDirectory() && !parent.mkdirs()) {
            System.err.println("cannot create data folder " + parent);
            System.exit(3);
        }
        MVStore store = new MVStore.Builder().fileName(dataFile.getPath()).open();
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
