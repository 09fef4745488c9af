namespace RidgeCore;

/// <summary>
/// The SIMD kernel families RidgeCore is built from, ordered from narrowest to widest.
/// Every kernel in the library has one implementation per family; <see cref="KernelSelection"/> picks one per process.
/// </summary>
public enum KernelFamily
{
    /// <summary>Plain scalar code: no SIMD intrinsics at all (the reference behaviour on any CPU).</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (SSE on x86-64, AdvSimd on Arm64); fused multiply-add where the CPU has it.</summary>
    Vector128 = 1,

    /// <summary>256-bit vectors with fused multiply-add (AVX2 + FMA, the x86-64-v3 level).</summary>
    Vector256 = 2,

    /// <summary>512-bit vectors (AVX-512 F/BW/CD/DQ/VL).</summary>
    Vector512 = 3,
}
