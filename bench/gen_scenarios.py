#!/usr/bin/env python3
"""Writes N small scenarios for the queue_worker module into DIR, for bench/bench.py: each a
one-step scenario (a work item, then stop), in folders of 100 as a real suite would be.

Usage: gen_scenarios.py N DIR
"""
import json
import os
import sys

n, out = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    folder = os.path.join(out, f"group{i // 100:03d}")
    os.makedirs(folder, exist_ok=True)
    scenario = {
        "name": f"bench {i:05d}: work then stop",
        "module": "queue_worker",
        "routine": "QueueWorkerRoutine",
        "true_means": "continue",
        "context": {"capacity": 4},
        "objects": [{"name": "work", "type": "synchronization_event"},
                    {"name": "stop", "type": "notification_event"}],
        "steps": [{"set": ["work", "stop"],
                   "expect": [{"status": "STATUS_WAIT_0", "decision": "continue"},
                              {"status": "STATUS_WAIT_1", "decision": "terminate"}],
                   "then": {"terminated": True}}],
    }
    with open(os.path.join(folder, f"bench_{i:05d}.json"), "w") as f:
        json.dump(scenario, f)
