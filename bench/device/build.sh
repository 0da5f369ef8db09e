#!/usr/bin/env bash
# Publishes a self-contained coca (no .NET needed on the GPU machine) into bench/device/bin,
# which git ignores: carry it to the GPU machine and run bench/device/nvml-check.sh there.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet publish src/Coca.Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
  -p:EnableCompressionInSingleFile=true -p:DebugType=none -o bench/device/bin -v quiet
ls -la bench/device/bin
