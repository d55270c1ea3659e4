"""A real, independent Open311 client (PyPI `georeport`) reads our GeoReport v2 API.

Run by `cargo xtask test` with the project's venv; starts the real civickit binary
(CIVICKIT_BIN) on a free loopback port with the demo town (its dozen sample reports, without
the year of history) and a throwaway SQLite file.
"""

import os
import subprocess
import tempfile
import unittest

from georeport import GeoReport


class CivickitServer:
    def __init__(self):
        self.dir = tempfile.TemporaryDirectory()
        binary = os.environ["CIVICKIT_BIN"]
        self.proc = subprocess.Popen(
            [binary, "serve", "--demo", "--demo-history", "off", "--listen", "127.0.0.1:0",
             "--database", f"sqlite://{self.dir.name}/client.db"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = None
        for line in self.proc.stdout:
            if line.startswith("civickit listening on "):
                self.url = line.split()[-1]
                break
        if self.url is None:
            raise RuntimeError("civickit did not start")

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        self.dir.cleanup()


class GeoReportClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = CivickitServer()
        cls.root = cls.server.url + "/open311/v2"

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def client(self, fmt):
        return GeoReport(self.root, jurisdiction="musterstadt", output_format=fmt)

    def test_services_in_json_and_xml(self):
        as_json = self.client("json").get_service_list()
        as_xml = self.client("xml").get_service_list()
        self.assertEqual(len(as_json), 6)
        self.assertEqual([s["service_code"] for s in as_json],
                         [s["service_code"] for s in as_xml])
        self.assertEqual(as_json[0]["service_name"], "Straßenbeleuchtung")
        self.assertEqual(as_xml[2]["service_name"], "Verunreinigungen & Müll")

    def test_service_definition(self):
        self.assertEqual(self.client("json").get_service_definition("muell")["service_code"], "muell")
        self.assertEqual(self.client("xml").get_service_definition("muell")["service_code"], "muell")

    def test_requests_list_filters_and_single_request(self):
        c = self.client("json")
        everything = c.get_service_requests()
        self.assertEqual(len(everything), 12)
        opened = c.get_service_requests(status="open")
        self.assertTrue(opened and all(r["status"] == "open" for r in opened))
        lamps = c.get_service_requests(service_code="strassenbeleuchtung")
        self.assertEqual(len(lamps), 3)
        first = everything[0]
        one = c.get_service_request(first["service_request_id"])
        self.assertEqual(one, first)
        as_xml = self.client("xml").get_service_requests()
        self.assertEqual([r["service_request_id"] for r in as_xml],
                         [r["service_request_id"] for r in everything])
        self.assertEqual(as_xml[0]["long"], str(first["long"]))

    def test_errors_reach_the_client_as_http_errors(self):
        import requests
        with self.assertRaises(requests.HTTPError) as caught:
            self.client("json").get_service_request("M-1999-99999")
        self.assertEqual(caught.exception.response.status_code, 404)


if __name__ == "__main__":
    unittest.main()
