import java.io.*;
import java.util.StringTokenizer;

class Numbers {
	static long[] read(InputStream s) throws IOException {
		BufferedReader in = new BufferedReader(new InputStreamReader(s));
		int n = Integer.parseInt(in.readLine().trim());
		StringTokenizer st = new StringTokenizer(in.readLine());
		long[] a = new long[n];
		for (int i = 0; i < n; i++)
			a[i] = Long.parseLong(st.nextToken());
		return a;
	}

	static long sum(long[] a) {
		long s = 0;
		for (long x : a)
			s += x;
		return s;
	}
}
