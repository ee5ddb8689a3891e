package io.appmeshxds.bench.load;

import java.util.ArrayList;
import java.util.List;

/** Numbers a load run measured; NaN (or empty) where a phase did not run or did not finish. */
public final class LoadResult {
  /** One weight change as the server timed it and the clients saw it. */
  public record Change(String target, double ms, double p50ClientMs, double buildMs, int affected, boolean allAcked,
      boolean receiversMatch, long messages, long otherMessages, long maxMessagesPerClient, long maxResourcesPerClient,
      long maxBytesPerClient, long totalBytes, double serverCpuMs) {}

  public double generateMs = Double.NaN;
  public double readyMs = Double.NaN;
  public double readyCpuMs = Double.NaN;
  public long objects;
  public long groups;
  public long heapNoClients = -1;
  public long heapWithClients = -1;
  public long directWithClients = -1;
  public long rssWithClients = -1;
  public long metaspace = -1;
  public double stormMs = Double.NaN;
  public double stormP50ClientMs = Double.NaN;
  public int stormComplete;
  public boolean stormAllAcked;
  public double stormServerCpuMs = Double.NaN;
  public double stormClientCpuMs = Double.NaN;
  public double restormMs = Double.NaN;
  public double restormP50ClientMs = Double.NaN;
  public int restormComplete = -1;
  public double restormServerCpuMs = Double.NaN;
  public double restormClientCpuMs = Double.NaN;
  public int clientFailures;
  public String firstFailure;
  public final List<Change> hot = new ArrayList<>();
  /** The hot changes made before {@link #hot}, while the server JIT-compiles the change path. */
  public final List<Change> hotWarmup = new ArrayList<>();
  public final List<Change> typical = new ArrayList<>();
  public double hotServerCpuMs = Double.NaN;
  public double hotClientCpuMs = Double.NaN;
  public long noopEqualServerPushes = -1;
  public long noopEqualClientMessages = -1;
  public boolean noopEqualChanged;
  public long noopMetaServerPushes = -1;
  public long noopMetaClientMessages = -1;
  public long noopMetaBuilds = -1;
  public int t7Streams;
  public int t7Complete;
  public int t7ServerComplete;
  public double t7ConnectMs = Double.NaN;
  public long heapT7 = -1;
  public long directT7 = -1;
  public long rssT7 = -1;
  public long rssNoClients = -1;
  public double idleCpuPct = Double.NaN;
  public double idleAllocMBps = Double.NaN;
  public long idleGcs = -1;
  public long idlePushes = -1;
  public double idleClientCpuPct = Double.NaN;
  public final List<Double> sequentialConnectMs = new ArrayList<>();
  public final List<String> errors = new ArrayList<>();
  /** T16's reply ({@link Churn}), or null when it did not run. */
  public Msg churn;
  public double churnClientCpuMs = Double.NaN;
}
