using System;
using RidgeCore.Tests.Harness;
using Xunit;
using static RidgeCore.Tests.Cholesky.CholeskyReference;

namespace RidgeCore.Tests.Cholesky;

/// <summary>Inputs and outputs in guarded native buffers at every alignment in a cache line: the factor reads only the
/// lower triangle of its view (a stray read of the NaN guards or of the NaN-filled upper triangle would fail the
/// finiteness check or poison the result), never writes its input, and the solves write only their own span.</summary>
public class CholeskyGuardTests
{
    [Theory]
    [InlineData(17, 0)]
    [InlineData(33, 3)]
    [InlineData(48, 5)]
    [InlineData(130, 7)]
    public void Factor_and_solves_stay_inside_their_spans(int p, int offset)
    {
        double[] a = RandomGram(p, seed: p);
        var lowerOnly = (double[])a.Clone();
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++)
                lowerOnly[i * p + j] = double.NaN;

        using var input = GuardedBuffer<double>.CopyOf(lowerOnly, offset);
        using var factor = new CholeskyFactor(p);
        factor.Factor(new MatrixView<double>(input.ReadOnlySpan, p, p), 0.5);
        input.AssertContentUnchanged(lowerOnly, "input");
        input.AssertGuardsIntact("input");

        double[] b = RandomVector(p, seed: 1);
        using var rhs = GuardedBuffer<double>.CopyOf(b, offset);
        factor.Solve(rhs.Span);
        rhs.AssertGuardsIntact("solve");
        double[] expected = Backward(Factor(a, p, Fill(p, 0.5))!, p, Forward(Factor(a, p, Fill(p, 0.5))!, p, b));
        for (int i = 0; i < p; i++) Assert.True(Math.Abs(rhs.Span[i] - expected[i]) <= 1e-10 * Math.Max(1, MaxAbs(expected)));

        using var block = GuardedBuffer<double>.CopyOf(RandomVector(3 * p, seed: 2), offset);
        factor.Solve(block.Span, 3);
        factor.SolveLower(block.Span, 3);
        factor.SolveLowerTransposed(block.Span, 3);
        block.AssertGuardsIntact("multi-rhs");

        using var l = new GuardedBuffer<double>(p * p, offset);
        factor.CopyFactor(l.Span);
        l.AssertGuardsIntact("copy factor");
    }
}
