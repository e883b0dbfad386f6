using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Tests.Runtime;

/// <summary>The CPU line every reported time carries, with the instruction caps an AVX2 rehearsal sets.</summary>
public class CpuInfoTests
{
    [Fact]
    public void The_cpu_line_names_every_instruction_cap_set_and_none_when_none_is()
    {
        var previous = CpuInfo.InstructionCapVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var v in CpuInfo.InstructionCapVariables) Environment.SetEnvironmentVariable(v, null);
            var plain = CpuInfo.Describe();
            Assert.DoesNotContain("capped", plain);
            Assert.Contains($"{Environment.ProcessorCount} cores, {CpuInfo.VectorExtensions()}", plain);

            Environment.SetEnvironmentVariable("ATEN_CPU_CAPABILITY", "avx2");
            Environment.SetEnvironmentVariable("DNNL_MAX_CPU_ISA", " AVX2 ");
            Environment.SetEnvironmentVariable("MKL_ENABLE_INSTRUCTIONS", "");

            Assert.Equal(["ATEN_CPU_CAPABILITY=avx2", "DNNL_MAX_CPU_ISA=AVX2"], CpuInfo.InstructionCaps());
            Assert.EndsWith("(capped by ATEN_CPU_CAPABILITY=avx2, DNNL_MAX_CPU_ISA=AVX2)", CpuInfo.Describe());
        }
        finally
        {
            foreach (var (v, value) in previous) Environment.SetEnvironmentVariable(v, value);
        }
    }
}
