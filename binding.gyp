{
  "targets": [
    {
      "target_name": "mesonet_native",
      "sources": [
        "native/addon.cc",
        "native/dataplane.cc",
        "native/table.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS"
      ],
      "cflags": [
        "-O2",
        "-Wall"
      ],
      "cflags_cc": [
        "-O2",
        "-Wall",
        "-std=c++17"
      ],
      "libraries": [
        "-lnetfilter_queue",
        "-lnetfilter_conntrack",
        "-lnfnetlink",
        "-lmnl"
      ],
      "ldflags": [
        "-pthread"
      ]
    }
  ]
}
