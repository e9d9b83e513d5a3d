package dev.wagoexporter.sim;

import dev.wagoexporter.modbus.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The socket end of the simulated gateway. The library's server transports build a reply on their
 * executor and write it with {@code channel.writeAndFlush}; they offer no hook between the two. So
 * the request side ({@link SimulatedWire}) decides a {@link ReplyPlan} per request, and a Netty
 * handler placed next to the socket takes the plans in order and applies them to the encoded bytes:
 * hold back, corrupt, withhold, close, or go half-open. Every reply the library writes was planned
 * once, in the same order, so plans and replies pair up.
 *
 * <p>With mixed-up replies the handler also plays a shared gateway that keeps only the latest
 * request's client: a reply leaving the bus goes to the connection that sent the latest request,
 * with that request's transaction id, whichever connection asked for it.
 */
final class ReplyShaping {
  private static final String HANDLER_NAME = "wago-sim-reply-shaping";

  private final Framing framing;
  private final boolean mixUpReplies;
  private final LongAdder mixedUp = new LongAdder();

  /** None before the first request (mixed-up replies only). */
  private volatile @Nullable LatestRequest latest;

  private final ConcurrentMap<SocketAddress, ConnectionShaper> connections =
      new ConcurrentHashMap<>();
  // one RS485 line behind the gateway: replies leave one after another, a late one holds back those
  // after it
  private long lineFreeAtNanos = Long.MIN_VALUE;

  ReplyShaping(Framing framing, boolean mixUpReplies) {
    this.framing = framing;
    this.mixUpReplies = mixUpReplies;
  }

  /** The connection that sent the latest request, and that request's transaction id. */
  private record LatestRequest(ConnectionShaper connection, int transactionId) {}

  /**
   * Notes a request just received from {@code remote} (transaction id -1 in RTU framing): with
   * mixed-up replies, the next reply to leave goes to it.
   */
  void requestArrived(@Nullable SocketAddress remote, int transactionId) {
    ConnectionShaper connection = remote == null ? null : connections.get(remote);
    if (mixUpReplies && connection != null) {
      latest = new LatestRequest(connection, transactionId);
    }
  }

  /** How many replies went to another connection than the one that asked. */
  long mixedUpReplies() {
    return mixedUp.sum();
  }

  /** Pipeline customizer for the library's server transports. */
  void install(ChannelPipeline pipeline) {
    pipeline.addFirst(HANDLER_NAME, new ConnectionShaper());
  }

  /**
   * Plans the reply to the request just received from {@code remote}; without a known connection it
   * is a no-op.
   */
  void plan(@Nullable SocketAddress remote, ReplyPlan plan) {
    ConnectionShaper connection = remote == null ? null : connections.get(remote);
    if (connection != null) {
      connection.plans.add(plan);
    }
  }

  /** The {@link System#nanoTime()} at which a reply held back by {@code holdBack} may leave. */
  private synchronized long sendAtNanos(Duration holdBack) {
    long now = System.nanoTime();
    long start =
        lineFreeAtNanos == Long.MIN_VALUE || lineFreeAtNanos - now < 0 ? now : lineFreeAtNanos;
    long sendAt = start + holdBack.toNanos();
    lineFreeAtNanos = sendAt;
    return sendAt;
  }

  private void corrupt(ByteBuf reply) {
    int end = reply.writerIndex();
    if (framing == Framing.RTU_OVER_TCP) {
      reply.setByte(end - 1, ~reply.getByte(end - 1)); // last CRC byte
    } else {
      int at = reply.readerIndex();
      reply.setShort(
          at, reply.getUnsignedShort(at) ^ 0xA5A5); // transaction id: matches no request in flight
    }
  }

  private static void scramble(ByteBuf reply) {
    byte[] noise = new byte[reply.readableBytes()];
    ThreadLocalRandom.current().nextBytes(noise);
    reply.setBytes(reply.readerIndex(), noise);
  }

  /**
   * A reply waiting for its time; replies leave in the order they were written, even with equal
   * times.
   */
  private record HeldReply(ByteBuf reply, ChannelPromise promise, long sendAtNanos) {}

  // netty: a write is given the promise that reports its outcome, and the future it returns is that
  // same promise; the scheduled releases report nothing and are dropped with the channel
  @SuppressWarnings("FutureReturnValueIgnored")
  private final class ConnectionShaper extends ChannelDuplexHandler {
    private final Queue<ReplyPlan> plans = new ConcurrentLinkedQueue<>();
    // touched only on the channel's event loop (write and the scheduled release run there)
    private final ArrayDeque<HeldReply> outgoing = new ArrayDeque<>();
    private volatile boolean halfOpen;

    /** Set when Netty adds the handler to its channel, before any read or write. */
    private volatile @Nullable ChannelHandlerContext context;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      context = ctx;
      connections.put(ctx.channel().remoteAddress(), this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      connections.remove(ctx.channel().remoteAddress(), this);
      super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (halfOpen) {
        // Discard instead of setAutoRead(false): the socket must still notice the client's FIN, or
        // the library's
        // RTU transport (one client at a time) would refuse every reconnect for ever.
        ReferenceCountUtil.release(msg);
        return;
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ReplyPlan plan = plans.poll();
      if (halfOpen) {
        withhold(msg, promise);
        return;
      }
      if (plan == null || !(msg instanceof ByteBuf reply)) {
        ctx.write(msg, promise);
        return;
      }
      Fault fault = plan.fault();
      if (fault == Fault.SILENCE) {
        withhold(msg, promise);
        return;
      }
      if (fault == Fault.DROP_CONNECTION) {
        withhold(msg, promise);
        ctx.close();
        return;
      }
      if (fault == Fault.HALF_OPEN) {
        halfOpen = true;
        withhold(msg, promise);
        return;
      }
      if (fault == Fault.GARBAGE) {
        scramble(reply);
      } else if (fault == Fault.BAD_CRC) {
        corrupt(reply);
      }
      long sendAt = sendAtNanos(plan.holdBack());
      if (outgoing.isEmpty() && sendAt - System.nanoTime() <= 0) {
        send(ctx, reply, promise);
        return;
      }
      outgoing.add(new HeldReply(reply, promise, sendAt));
      if (outgoing.size() == 1) {
        scheduleRelease(ctx);
      }
    }

    /**
     * Sends the held replies that are due, in the order they were written, then waits for the next
     * one.
     */
    private void releaseDue(ChannelHandlerContext ctx) {
      boolean sent = false;
      HeldReply next;
      while ((next = outgoing.peek()) != null && next.sendAtNanos - System.nanoTime() <= 0) {
        outgoing.poll();
        if (halfOpen || !ctx.channel().isActive()) {
          withhold(next.reply, next.promise);
        } else {
          send(ctx, next.reply, next.promise);
          sent = true;
        }
      }
      if (sent) {
        ctx.flush();
      }
      if (!outgoing.isEmpty()) {
        scheduleRelease(ctx);
      }
    }

    private void scheduleRelease(ChannelHandlerContext ctx) {
      long delay = Math.max(0, outgoing.peek().sendAtNanos - System.nanoTime());
      ctx.executor().schedule(() -> releaseDue(ctx), delay, TimeUnit.NANOSECONDS);
    }

    /**
     * Writes a reply to this connection's socket or, with mixed-up replies, to the socket of the
     * latest request's connection (past its shaper: the reply has had its plan here).
     */
    private void send(ChannelHandlerContext ctx, ByteBuf reply, ChannelPromise promise) {
      LatestRequest to = mixUpReplies ? latest : null;
      ChannelHandlerContext other = to == null ? null : to.connection().context;
      if (to == null
          || to.connection() == this
          || other == null
          || !other.channel().isActive()
          || framing != Framing.TCP) {
        ctx.write(reply, promise);
        return;
      }
      reply.setShort(reply.readerIndex(), to.transactionId());
      mixedUp.increment();
      promise.trySuccess(); // for this connection the reply is gone, as on the shared gateway
      other.writeAndFlush(reply);
    }

    private void withhold(Object msg, ChannelPromise promise) {
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
    }
  }
}
