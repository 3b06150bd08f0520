"""A tiny todo list: items are {"text", "done"} dicts, numbered from 1 for people."""

from store import load, save


def add(items, text):
    """The list with a new open item."""
    return items + [{"text": text, "done": False}]


def done(items, number):
    """Marks item `number` (counted from 1) done."""
    items[number]["done"] = True
    return items


def main(path="todo.json"):
    items = add(load(path), "try sop")
    save(path, items)
    return 0
