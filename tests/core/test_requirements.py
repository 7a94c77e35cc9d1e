"""The GPU requirements are requirements.txt with TensorFlow's CUDA build at the same version."""
from __future__ import annotations

from core import paths


def pins(name: str) -> dict[str, str]:
    lines = (paths.PROJECT_ROOT / name).read_text().splitlines()
    pairs = (line.split("#")[0].strip().split("==") for line in lines)
    return {p[0]: p[1] for p in pairs if len(p) == 2}


def test_gpu_requirements_pin_the_same_versions_with_the_cuda_build():
    cpu, gpu = pins("requirements.txt"), pins("requirements-gpu.txt")
    assert gpu.pop("tensorflow[and-cuda]") == cpu.pop("tensorflow-cpu")
    assert gpu == cpu and "ray" in cpu
