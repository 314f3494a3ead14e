#!/usr/bin/env node
// The `rail` command. A committed file (not dist/) so that package managers can link the bin
// before the package is built; the command itself is the build output it loads.
import '../dist/bin.js';
