"""Reads and writes the todo list as JSON."""

import json
import os


def load(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def save(path, items):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(items, file)
