namespace SpeechEmotion.Nn;

/// <summary>
/// How many threads the engine's kernels use (default: all processors). Work is split into a fixed
/// number of parts that each own their output elements, so results do not depend on scheduling.
/// </summary>
public static class Parallelism
{
    private static int _threads = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Threads used by GEMM and batch-parallel kernels, 1..64.</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = value is >= 1 and <= 64
            ? value
            : throw new InvalidOptionsException("Parallelism", [$"Threads must be 1..64, got {value}."]);
    }
}

/// <summary>A unit of parallel work split into parts; subclasses hold their arguments in fields so
/// that dispatching allocates nothing.</summary>
internal abstract class ParallelJob
{
    public abstract void RunPart(int part, int parts);
}

/// <summary>
/// A tiny fork-join pool of dedicated worker threads (the caller runs parts too). Unlike
/// Parallel.For it allocates nothing per dispatch. Concurrent callers fall back to running inline.
/// </summary>
internal sealed class WorkerPool
{
    public static readonly WorkerPool Shared = new();

    private int _busy;
    private readonly List<SemaphoreSlim> _wake = [];
    private ParallelJob? _job;
    private int _parts, _next, _busyWorkers;

    public void Run(ParallelJob job, int parts)
    {
        int threads = Math.Min(parts, Parallelism.Threads);
        // Not a Monitor: it is re-entrant, and a part that dispatches nested work must run it inline.
        if (threads <= 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < parts; p++) job.RunPart(p, parts);
            return;
        }
        try
        {
            EnsureWorkers(threads - 1);
            _job = job;
            _parts = parts;
            _next = 0;
            _busyWorkers = threads - 1;
            for (int w = 0; w < threads - 1; w++) _wake[w].Release();
            Drain(job, parts);
            var spin = new SpinWait();
            while (Volatile.Read(ref _busyWorkers) > 0) spin.SpinOnce(-1);
            _job = null;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void Drain(ParallelJob job, int parts)
    {
        int p;
        while ((p = Interlocked.Increment(ref _next) - 1) < parts) job.RunPart(p, parts);
    }

    private void EnsureWorkers(int count)
    {
        while (_wake.Count < count)
        {
            var sem = new SemaphoreSlim(0);
            _wake.Add(sem);
            var t = new Thread(() => WorkerLoop(sem)) { IsBackground = true, Name = "SpeechEmotion.Nn worker" };
            t.Start();
        }
    }

    private void WorkerLoop(SemaphoreSlim wake)
    {
        while (true)
        {
            wake.Wait();
            var job = Volatile.Read(ref _job);
            try
            {
                if (job is not null) Drain(job, _parts);
            }
            finally
            {
                Interlocked.Decrement(ref _busyWorkers);
            }
        }
    }
}

/// <summary>
/// Splits [0, n) into <see cref="Parallelism.Threads"/> contiguous ranges run on the worker pool.
/// Bodies are cached delegates (no allocation per call); a call made from inside a running range
/// runs inline.
/// </summary>
internal static class ParallelRange
{
    [ThreadStatic] private static RangeJob? _job;
    [ThreadStatic] private static bool _inside;

    /// <summary>True on a thread that is running a part of a parallel range (nested work stays serial).</summary>
    public static bool InsideParallel => _inside;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, n); below <paramref name="grain"/> items per part it stays on one thread.</summary>
    public static void Run(int n, Action<int, int> body, int grain = 1)
    {
        if (n <= 0) return;
        int parts = Math.Min(Parallelism.Threads, Math.Max(1, n / Math.Max(1, grain)));
        if (parts <= 1 || _inside)
        {
            body(0, n);
            return;
        }
        var job = _job ??= new RangeJob();
        job.Body = body;
        job.N = n;
        _inside = true;
        try
        {
            WorkerPool.Shared.Run(job, parts);
        }
        finally
        {
            _inside = false;
            job.Body = null;
        }
    }

    private sealed class RangeJob : ParallelJob
    {
        public Action<int, int>? Body;
        public int N;

        public override void RunPart(int part, int parts)
        {
            int s = (int)((long)N * part / parts), e = (int)((long)N * (part + 1) / parts);
            if (e <= s) return;
            bool was = _inside;
            _inside = true;
            try { Body!(s, e); }
            finally { _inside = was; }
        }
    }
}
