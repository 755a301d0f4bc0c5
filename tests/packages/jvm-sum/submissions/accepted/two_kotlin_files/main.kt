fun main() {
    readLine()
    println(total(readLine()!!))
}
