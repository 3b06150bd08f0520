import unittest

import todo


class TodoTest(unittest.TestCase):
    def test_add(self):
        self.assertEqual(todo.add([], "milk"), [{"text": "milk", "done": False}])

    def test_done_counts_from_one(self):
        self.assertTrue(todo.done([{"text": "milk", "done": False}], 1)[0]["done"])
