namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>
/// The two small programs the traffic tests run inside pod namespaces (python3 from apt): a backend that answers
/// every TCP connection and UDP datagram on port 8080 with its name and the source address it saw, and a
/// client that makes N attempts and prints one line per attempt (the answer, "refused" or "timeout").
/// </summary>
internal static class EchoScripts
{
    public const string Backend = """
        import socket, sys, threading
        name = sys.argv[1]
        def udp():
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.bind(("0.0.0.0", 8080))
            while True:
                data, peer = u.recvfrom(512)
                u.sendto(f"{name} {peer[0]}".encode(), peer)
        threading.Thread(target=udp, daemon=True).start()
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", 8080))
        s.listen(128)
        while True:
            c, peer = s.accept()
            c.sendall(f"{name} {peer[0]}".encode())
            c.close()
        """;

    public const string Client = """
        import socket, sys
        proto, host, port, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        for _ in range(count):
            try:
                if proto == "tcp":
                    s = socket.create_connection((host, port), timeout=2)
                    print(s.recv(512).decode(), flush=True)
                else:
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.settimeout(2)
                    s.sendto(b"hello", (host, port))
                    print(s.recvfrom(512)[0].decode(), flush=True)
                s.close()
            except ConnectionRefusedError:
                print("refused", flush=True)
            except OSError:
                print("timeout", flush=True)
        """;
}
