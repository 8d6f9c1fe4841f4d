{
  "targets": [
    {
      "target_name": "vrrpcap",
      "sources": ["vrrpcap.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lpcap"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
