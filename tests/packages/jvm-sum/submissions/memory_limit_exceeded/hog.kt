fun main() {
    val keep = ArrayList<LongArray>()
    for (i in 0 until 1000) keep.add(LongArray(1 shl 20))
    println(keep.size)
}
